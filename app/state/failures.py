"""The answer to an error nobody planned for: the whole story in the server's log, a plain toast on the page.

The app's backend exception handler (app/app.py) answers every unhandled error this way. A handler
that has set a busy flag cannot let an error escape (Reflex would send no delta, and the flag would
stay on), so it resets its flag and answers with `unexpected(error)` itself: the error is logged in
full just the same, nothing is hidden.
"""

from __future__ import annotations

import logging
import traceback

from reflex.event import EventSpec

from app.state.notices import notify

log = logging.getLogger("praxis")
SOMETHING_WENT_WRONG = "Something went wrong on our side. Please try again; if it keeps happening, contact support."


def unexpected(error: BaseException) -> EventSpec:
    log.error("Unhandled error in an event handler:\n%s", "".join(traceback.format_exception(error)))
    return notify.error(SOMETHING_WENT_WRONG, id="backend_error")
