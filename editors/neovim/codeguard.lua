-- codeguard language server for Neovim.
--
-- Neovim 0.11+: put this file in your config (e.g. ~/.config/nvim/lsp/codeguard.lua is picked
-- up by vim.lsp.enable) or copy the table into vim.lsp.config().
-- Neovim 0.8-0.10: see the autocmd form below.
local config = {
  cmd = { "codeguard", "lsp" },
  -- json/jsonc: MCP client configurations (.mcp.json, ...); other JSON files get no diagnostics.
  filetypes = {
    "python",
    "rust",
    "javascript",
    "javascriptreact",
    "typescript",
    "typescriptreact",
    "json",
    "jsonc",
  },
  root_markers = { "codeguard.toml", ".codeguard.toml", "pyproject.toml", "Cargo.toml", ".git" },
  init_options = {
    codeguard = {
      select = {}, -- e.g. { "ml", "sec" }
      ignore = {},
      rules = {}, -- extra rule folders
    },
  },
}

if vim.lsp.config then
  vim.lsp.config("codeguard", config)
  vim.lsp.enable("codeguard")
else
  vim.api.nvim_create_autocmd("FileType", {
    pattern = config.filetypes,
    callback = function(args)
      vim.lsp.start({
        name = "codeguard",
        cmd = config.cmd,
        root_dir = vim.fs.dirname(vim.fs.find(config.root_markers, { upward = true, path = args.file })[1]),
        init_options = config.init_options,
      })
    end,
  })
end
