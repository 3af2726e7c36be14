fn run(py: Python<'_>, code: &str) -> PyResult<()> {
    // ruleid: CG-CORE008
    py.run(code, None, None)?;
    // ok: CG-CORE008
    py.run("print('ready')", None, None)?;
    // ok: CG-CORE008
    runner.run(code);
    Ok(())
}
