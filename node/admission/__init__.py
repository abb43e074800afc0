"""Admission for first-come rushes: the waiting room (`rooms`) and the bulk batcher (`batching`)."""
