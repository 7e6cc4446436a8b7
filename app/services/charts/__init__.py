"""Charts: SOAP notes, addenda, notes, sharing (with patient consent), treatment plans."""
