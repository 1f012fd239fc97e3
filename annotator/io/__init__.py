"""Importers and exporters: files in (txt, JSONL, brat, HTML), training data out.

``importers.import_paths`` and ``exporters.export`` are the entry points the CLI and the
window call; everything else here serves them.
"""
