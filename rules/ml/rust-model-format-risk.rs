use candle_nn::VarBuilder;
use tch::{CModule, Tensor};

fn load(cli: &Cli, device: Device) -> anyhow::Result<()> {
    // ruleid: CG-ML009
    let net = tch::CModule::load(&cli.model_path)?;
    // ruleid: CG-ML009
    let net = CModule::load_on_device(&cli.model_path, device)?;
    // ruleid: CG-ML009
    let bundled = CModule::load("assets/model.pt")?;
    // ruleid: CG-ML009
    let s = Session::builder()?.commit_from_url("https://example.com/model.onnx")?;

    // ok: CG-ML009
    let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[verified_path], DType::F16, &device)? };
    // ok: CG-ML009
    let cfg = config::load(&cli.config_path)?;
    // Pickle and libtorch checkpoints read as data (tensors only) execute nothing.
    // ok: CG-ML009
    let t = Tensor::load("weights.ot")?;
    // ok: CG-ML009
    let vb = VarBuilder::from_pth("model.pth", DType::F32, &device)?;
    Ok(())
}
