# A loaded document is the only untrusted input here: the source set's `Loader(` token alone
# must let the file through.
from langchain_community.document_loaders import PyPDFLoader, WebBaseLoader
from langchain_core.messages import SystemMessage


def summarise(path):
    docs = PyPDFLoader(path).load()
    # ruleid: CG-LLM010
    return [SystemMessage(content=f"Follow the policy in this file: {docs[0].page_content}")]


def fixed():
    # ok: CG-LLM010
    return [SystemMessage(content="Summarise the user's document.")]
