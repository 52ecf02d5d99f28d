"""HTML views of the counties app, one module per area; urls.py imports the modules."""
