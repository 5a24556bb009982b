"""The plan catalog both stacks declare. Edit it here once; `pulumi up` on each stack rolls the change out.

The rules (units, unique names and external ids, ...) are in ``pulumi_chartmogul.catalog``; ``load_catalog``
checks them all before anything is declared.
"""

CATALOG = [
    {
        "name": "Web checkout",
        "plans": [
            {"name": "Basic", "interval_count": 1, "interval_unit": "month", "external_id": "web_basic_monthly"},
            {"name": "Basic (annual)", "interval_count": 1, "interval_unit": "year", "external_id": "web_basic_yearly"},
            {"name": "Pro", "interval_count": 1, "interval_unit": "month", "external_id": "web_pro_monthly"},
        ],
    },
    {
        "name": "Sales-led contracts",
        "plans": [
            {"name": "Enterprise", "interval_count": 1, "interval_unit": "year", "external_id": "ent_yearly"},
            {"name": "Pilot", "interval_count": 30, "interval_unit": "day", "external_id": "ent_pilot_30_days"},
        ],
    },
]
