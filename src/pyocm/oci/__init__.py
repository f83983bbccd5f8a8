"""OCI primitives with no OCM in them: media types, digests, descriptors, image layouts.

    >>> from pyocm.oci.manifest import Descriptor
    >>> from pyocm.oci.mediatypes import IMAGE_MANIFEST, is_manifest_type
    >>> is_manifest_type(IMAGE_MANIFEST)
    True
    >>> Descriptor("text/plain", "sha256:" + "0" * 64, 4).to_go()["size"]
    4

The modules are imported one by one (``pyocm.oci.manifest``, ``pyocm.oci.layout``, ...);
importing this package loads nothing else.
"""
