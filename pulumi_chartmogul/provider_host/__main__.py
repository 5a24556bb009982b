"""``python -m pulumi_chartmogul.provider_host``: our provider host's server (``server.py``), which ends with the
engine that started it (``orphan.py``)."""

from .orphan import exit_with_parent
from .server import serve

exit_with_parent()
serve()
