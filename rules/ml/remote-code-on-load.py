import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline
from sentence_transformers import SentenceTransformer
from vllm import LLM
from langchain_huggingface import HuggingFacePipeline


def build(repo_id):
    # ruleid: CG-ML004
    lm = AutoModelForCausalLM.from_pretrained(repo_id, trust_remote_code=True)
    # ruleid: CG-ML004
    enc = SentenceTransformer("acme/embedder", trust_remote_code=True)
    # ruleid: CG-ML004
    llm = LLM(model=repo_id, trust_remote_code=True)
    kwargs = {"trust_remote_code": True}
    # ruleid: CG-ML004
    tok = AutoTokenizer.from_pretrained(repo_id, **kwargs)
    # ruleid: CG-ML004
    hf = HuggingFacePipeline.from_model_id(model_id=repo_id, task="text-generation", model_kwargs={"trust_remote_code": True})
    # ruleid: CG-ML004
    net = torch.hub.load("someone/yolo-variant", "custom")

    # ok: CG-ML004
    lm = AutoModelForCausalLM.from_pretrained("acme/coder-7b", revision="0123456789abcdef0123456789abcdef01234567")
    # ok: CG-ML004
    lm = AutoModelForCausalLM.from_pretrained(repo_id, trust_remote_code=False)
    # ok: CG-ML004
    hf = HuggingFacePipeline.from_model_id(model_id=repo_id, task="text-generation", model_kwargs={"temperature": 0})
    # ok: CG-ML004
    net = torch.hub.load("vendor/hub_dir", "custom", source="local")
    # An opt-in flag passed through (a command-line option that defaults to false) is the
    # caller's choice, not the dangerous setting.
    # ok: CG-ML004
    lm = AutoModelForCausalLM.from_pretrained(repo_id, trust_remote_code=args.trust_remote_code)
    always = True
    # ruleid: CG-ML004
    lm = AutoModelForCausalLM.from_pretrained(repo_id, trust_remote_code=always)
    return lm


def mcp_tools(server_parameters, ToolCollection):
    # The MCP server's tools run on the server.
    # ok: CG-ML004
    with ToolCollection.from_mcp(server_parameters, trust_remote_code=True) as tools:
        return list(tools.tools)


def hub_tools(ToolCollection):
    # A tool collection from the Hub is Python code that runs here.
    # ruleid: CG-ML004
    return ToolCollection.from_hub("acme/tools", trust_remote_code=True)
