from huggingface_hub import hf_hub_download, snapshot_download
from transformers import AutoTokenizer, pipeline

SHA = "0123456789abcdef0123456789abcdef01234567"

# ruleid: CG-ML005
tok = AutoTokenizer.from_pretrained("acme/coder-7b")
# ruleid: CG-ML005
path = hf_hub_download("acme/churn-model", "model.onnx", revision="main")
# ruleid: CG-ML005
gen = pipeline("text-generation", model="acme/coder-7b")
# ruleid: CG-ML005
snap = snapshot_download(repo_id="acme/coder-7b", revision="v1.0")

# ok: CG-ML005
tok = AutoTokenizer.from_pretrained("acme/coder-7b", revision=SHA)
# ok: CG-ML005
tok = AutoTokenizer.from_pretrained("./models/coder-7b")
# ok: CG-ML005
tok = AutoTokenizer.from_pretrained("/opt/models/coder")
# ok: CG-ML005
path = hf_hub_download("acme/churn-model", "model.onnx", revision="0123456789abcdef0123456789abcdef01234567")
# ok: CG-ML005
gen = pipeline("text-generation", model="acme/coder-7b", revision=SHA)
