"""The document lists' pieces: table and toolbar, label panel, dialogs (the uploader is document_uploads.py)."""
