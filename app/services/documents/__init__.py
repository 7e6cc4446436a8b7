"""Documents: uploads, labels and share labels, the clinic's lists and the patient's Documents in the portal.

- filetypes.py: what may be uploaded, judged from the content's first bytes;
- storage.py: the one storage interface (disk under data/files/, or the database);
- receiving.py: an upload as it streams in (size, type, hash, a temp file);
- derivatives.py: thumbnails and previews (Pillow, pypdfium2), made off the event loop;
- access.py: who may open a document: ONE rule for every list and every single load;
- uploads.py: where an upload may go, and recording it;
- labels.py, shares.py: ordinary labels, and Patient / Practitioner Share Labels with their rule;
- lists.py: All Documents and a patient's Documents tab; portal.py: the portal's Documents;
- manage.py: rename, delete with undo, move into a patient's workspace.
"""
