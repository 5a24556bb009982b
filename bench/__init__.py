"""``make bench``: performance figures for the provider, measured through Pulumi's real provider host.

Run ``python -m bench --plans N``. Kept free of imports: the trivial provider used as the cold-start
baseline (``bench.echo_provider``) is imported by a provider host through this package.
"""
