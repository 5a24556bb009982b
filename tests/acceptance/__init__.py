"""The acceptance suite: the bootstrap program's lifecycle through the real CLI, against the emulator (in every
``make test``) and, on request, a real ChartMogul account (``make acceptance``), by one code path; and the sweep of
what runs left in an account (``make sweep``). CONTRIBUTING.md, "The acceptance suite", says how and when to run it.
"""
