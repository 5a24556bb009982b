"""The ChartMogul policy pack's rules (``rules.py``: plain functions, the standard library only) and the thin module
that binds them to ``pulumi_policy`` in a written pack (``pack_main.py``). ``pulumi-chartmogul policy-pack DIR``
writes both into a pack folder (``commands/policy_pack.py``). Nothing here imports Pulumi or the rest of the package:
the rules file is copied into the pack as it is.
"""
