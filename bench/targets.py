"""The goals the bench holds its figures to, shared by the table's rows (``__main__``) and the notes explaining a
miss (``notes``).
"""

PROVISION_TARGET = 1.10
OVERHEAD_TARGET = 1.05
PROVIDER_BYTES_TARGET = 200
COLD_START_TARGET = 1.2
EXPECTED_REQUESTS = {
    "preview of a create (check)": 0,
    "create (check, create)": 1,
    "no-change up (check, diff)": 0,
    "preview of an update (check, diff)": 0,
    "update (check, diff, update)": 1,
    "refresh (read, diff)": 1,
    "delete": 1,
}
# A plan group's create first lists the groups (names are not unique, so a taken name is refused unless adopted)
# and its refresh reads the members too.
EXPECTED_GROUP_REQUESTS = {**EXPECTED_REQUESTS, "create (check, create)": 2, "refresh (read, diff)": 2}
