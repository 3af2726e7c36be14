import os
import subprocess
from pathlib import Path

import torch
from model_signing import verifying
from transformers import AutoModelForSequenceClassification


def load_reranker(model_dir: str):
    # ruleid: CG-ML006
    return AutoModelForSequenceClassification.from_pretrained(model_dir)


def load_verified(model_dir: str, sig_path: str):
    verifying.Config().use_sigstore_verifier(
        identity="ml-release@acme.example", oidc_issuer="https://accounts.google.com"
    ).verify(model_dir, sig_path)
    # ok: CG-ML006
    return AutoModelForSequenceClassification.from_pretrained(model_dir, use_safetensors=True)


def load_checkpoint(cache_dir, adapter_dir, sig):
    cfg = verifying.Config()
    cfg.use_elliptic_key_verifier(public_key="keys/release.pub")
    cfg.verify(cache_dir, sig)
    weights = os.path.join(cache_dir, "model.pt")
    # ok: CG-ML006
    state = torch.load(weights, weights_only=True)
    # ruleid: CG-ML006
    adapter = torch.load(Path(adapter_dir) / "adapter.pt", weights_only=True)
    return state, adapter


def load_after_cli(model_dir):
    subprocess.run(["model_signing", "verify", "key", model_dir, "--signature", "model.sig", "--public-key", "k.pub"], check=True)
    # ok: CG-ML006
    return torch.load(f"{model_dir}/model.pt", weights_only=True)


def load_swallowed(model_dir, sig):
    try:
        verifying.Config().use_sigstore_verifier(identity="a", oidc_issuer="b").verify(model_dir, sig)
    except Exception as err:
        print("signature check failed", err)
    # ruleid: CG-ML006
    return torch.load(os.path.join(model_dir, "model.pt"), weights_only=True)


def _load(path):
    # ok: CG-ML006
    return torch.load(path, weights_only=True)


def caller(model_dir, sig):
    verifying.Config().use_sigstore_verifier(identity="a", oidc_issuer="b").verify(model_dir, sig)
    return _load(model_dir)


def verify_release(path, signature):
    verifying.Config().use_sigstore_verifier(identity="ml-release@acme.example", oidc_issuer="https://accounts.google.com").verify(path, signature)


def load_with_helper(model_dir, sig):
    verify_release(model_dir, sig)
    # ok: CG-ML006
    return torch.load(os.path.join(model_dir, "model.pt"), weights_only=True)


def load_sometimes_verified(model_dir, sig, strict):
    if strict:
        verifying.Config().use_sigstore_verifier(identity="a", oidc_issuer="b").verify(model_dir, sig)
    # ruleid: CG-ML006
    return torch.load(os.path.join(model_dir, "model.pt"), weights_only=True)


def load_in_with(model_dir, sig, lock):
    with lock:
        verifying.Config().use_sigstore_verifier(identity="a", oidc_issuer="b").verify(model_dir, sig)
    # ok: CG-ML006
    return torch.load(os.path.join(model_dir, "model.pt"), weights_only=True)


def maybe_verify(path, signature, strict):
    if strict:
        verify_release(path, signature)


def load_with_conditional_helper(model_dir, sig):
    maybe_verify(model_dir, sig, strict=False)
    # ruleid: CG-ML006
    return torch.load(os.path.join(model_dir, "model.pt"), weights_only=True)
