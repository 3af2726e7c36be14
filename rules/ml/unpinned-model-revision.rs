use hf_hub::api::sync::Api;
use hf_hub::{Repo, RepoType};

fn fetch(pinned: String) -> anyhow::Result<()> {
    // ruleid: CG-ML005
    let w = Api::new()?.model("acme/coder-7b".into()).get("model.safetensors")?;
    let api = Api::new()?;
    // ruleid: CG-ML005
    let repo = api.repo(Repo::model("acme/coder-7b".to_string()));

    // ok: CG-ML005
    let w = api.repo(Repo::with_revision("acme/coder-7b".into(), RepoType::Model, pinned)).get("model.safetensors")?;
    // ok: CG-ML005
    let m = registry.model(name);
    // ruleid: CG-ML005
    let main = Repo::with_revision("acme/coder-7b".into(), RepoType::Model, "main".to_string());
    // ok: CG-ML005
    let commit = Repo::with_revision("acme/coder-7b".into(), RepoType::Model, "0123456789abcdef0123456789abcdef01234567".into());
    Ok(())
}
