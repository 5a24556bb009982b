"""One module per resource: the Resource class (typed args and outputs) and its provider.

Importing any of them installs the SDK's ``serialize_provider`` fix first (``serialize_fix.py``), so a program
that declares resources, however it imports them, can declare thousands.
"""

from .serialize_fix import install_serialize_provider_fix

install_serialize_provider_fix()
