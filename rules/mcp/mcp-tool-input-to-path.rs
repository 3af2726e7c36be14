use std::path::{Path, PathBuf};

use rmcp::handler::server::wrapper::Parameters;
use rmcp::{tool, tool_router};

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct FileArgs {
    path: String,
}

struct Notes {
    root: PathBuf,
}

#[tool_router]
impl Notes {
    #[tool(description = "Read a note")]
    async fn read_note(&self, Parameters(p): Parameters<FileArgs>) -> String {
        // ruleid: CG-MCP002
        tokio::fs::read_to_string(self.root.join(&p.path)).await.unwrap()
    }

    #[tool(description = "Delete a note")]
    async fn delete_note(&self, Parameters(p): Parameters<FileArgs>) -> String {
        // ruleid: CG-MCP002
        std::fs::remove_file(&p.path).unwrap();
        "deleted".into()
    }

    #[tool(description = "Read a note inside the notes folder")]
    async fn read_confined(&self, Parameters(p): Parameters<FileArgs>) -> String {
        let full = self.root.join(&p.path).canonicalize().unwrap();
        if !full.starts_with(&self.root) {
            return "outside the notes folder".into();
        }
        // ok: CG-MCP002
        std::fs::read_to_string(&full).unwrap()
    }

    #[tool(description = "Read the index")]
    async fn index(&self) -> String {
        // ok: CG-MCP002
        std::fs::read_to_string(self.root.join("index.md")).unwrap()
    }

    fn helper(&self, name: &str) -> String {
        // ok: CG-MCP002
        std::fs::read_to_string(Path::new(name)).unwrap()
    }
}
