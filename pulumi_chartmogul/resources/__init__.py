"""One module per resource: the Resource class (typed args and outputs) and its provider."""
