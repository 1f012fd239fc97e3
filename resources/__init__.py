"""Bundled data: the sample article, label schemes, icons and stylesheets."""
