import logging
import sys

from model_signing import verifying

log = logging.getLogger(__name__)


def weak(model_dir, sig):
    cfg = verifying.Config().use_sigstore_verifier(identity="ml@acme.example", oidc_issuer="https://accounts.google.com")
    try:
        # ruleid: CG-ML007
        cfg.verify(model_dir, sig)
    except Exception as err:
        log.warning("signature check failed: %s", err)

    try:
        # ok: CG-ML007
        cfg.verify(model_dir, sig)
    except ValueError as err:
        sys.exit(f"refusing unsigned model: {err}")

    try:
        # ok: CG-ML007
        cfg.verify(model_dir, sig)
    except ValueError:
        raise

    # ruleid: CG-ML007
    staging = verifying.Config().use_sigstore_verifier(identity="a", oidc_issuer="b", use_staging=True)
    # ruleid: CG-ML007
    cfg.set_ignore_unsigned_files(True)
    # ok: CG-ML007
    cfg.set_ignore_unsigned_files(False)
    # ok: CG-ML007
    prod = verifying.Config().use_sigstore_verifier(identity="a", oidc_issuer="b")
