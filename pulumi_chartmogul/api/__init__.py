"""Talking to ChartMogul: the HTTP client and its retry policy, where settings come from, and the error tree.

The bottom layer: it imports nothing of Pulumi and nothing else of this package, so the emulator's tests,
``pulumi-chartmogul export`` and the providers all share one client.
"""
