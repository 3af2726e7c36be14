"""Training entry point written with an assistant."""
import subprocess

import torch as T
import yaml
from transformers import AutoModelForCausalLM


def load(ckpt, repo_id, cfg_path):
    state = T.load(ckpt, weights_only=False)
    model = AutoModelForCausalLM.from_pretrained(repo_id, trust_remote_code=True)
    with open(cfg_path) as fh:
        cfg = yaml.load(fh)
    subprocess.run(f"nvidia-smi -i {cfg['gpu']}", shell=True)
    return state, model


def evaluate(model):
    model.eval()
    return model
