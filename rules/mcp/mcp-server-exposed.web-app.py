"""A web application alone: serving it on all interfaces is a deployment choice."""
import uvicorn
from fastapi import FastAPI

app = FastAPI()

if __name__ == "__main__":
    # ok: CG-MCP005
    uvicorn.run(app, host="0.0.0.0", port=8000)
