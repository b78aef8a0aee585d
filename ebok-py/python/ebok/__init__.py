"""ebok: the domain of a Polish housing cooperative's resident portal (e-BOK).

A thin Python layer over the Rust library ``ebok-core``.
"""

from ebok._ebok import version

__all__ = ["version"]
__version__ = version()
