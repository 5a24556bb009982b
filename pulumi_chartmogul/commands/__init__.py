"""What people run: ``pulumi-chartmogul`` (``cli.py``: export, review, provider-host) and ``make demo`` (``demo.py``).

The top layer: commands use the catalog, the resources and the API client; nothing below imports them.
"""
