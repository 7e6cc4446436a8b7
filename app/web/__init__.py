"""HTTP in front of Reflex: the session cookie routes, the websocket cookie bridge, security headers."""
