"""spaCy loading and pre-annotation of entities and quotes."""
