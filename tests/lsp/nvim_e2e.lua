-- Headless Neovim as a real LSP client of `codeguard lsp` (works on Neovim 0.7, which only
-- takes pushed diagnostics, and on newer versions).
-- Env: CODEGUARD_BIN (the binary), CODEGUARD_FILE (the file to edit), CODEGUARD_OUT (JSON
-- result), CODEGUARD_NO_FIX (set: only read the diagnostics and code actions).
local bin = os.getenv("CODEGUARD_BIN")
local file = os.getenv("CODEGUARD_FILE")
local out = os.getenv("CODEGUARD_OUT")

local function finish(result)
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

vim.cmd("edit " .. file)
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "codeguard",
  cmd = { bin, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":p:h"),
})
if not client_id then
  finish({ error = "client did not start" })
  return
end
vim.lsp.buf_attach_client(buf, client_id)

local got = vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
if not got then
  finish({ error = "no diagnostics within 15 s" })
  return
end

local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then
    code = d.user_data.lsp.code
  end
  table.insert(diagnostics, { line = d.lnum, col = d.col, code = code, source = d.source, severity = d.severity })
end
table.sort(diagnostics, function(a, b) return a.line < b.line end)

-- Code actions for the first diagnostic, as `:lua vim.lsp.buf.code_action()` would ask.
local client = vim.lsp.get_client_by_id(client_id)
local first = vim.diagnostic.get(buf)[1]
-- The same conversion `vim.lsp.buf.code_action()` does in Neovim 0.7.
local lsp_diags = vim.lsp.diagnostic.get_line_diagnostics(buf, first.lnum)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = first.lnum, character = first.col }, ["end"] = { line = first.lnum, character = first.col } },
  context = { diagnostics = lsp_diags },
}
local response = client.request_sync("textDocument/codeAction", params, 10000, buf)
local titles = {}
if response and response.result then
  for _, action in ipairs(response.result) do
    table.insert(titles, action.title)
  end
end

if os.getenv("CODEGUARD_NO_FIX") then
  finish({ diagnostics = diagnostics, actions = titles })
  return
end

-- Apply the fix, and the diagnostics for that line go away.
local applied = false
if response and response.result then
  for _, action in ipairs(response.result) do
    if action.edit and action.isPreferred then
      vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
      applied = true
      break
    end
  end
end
local before = #vim.diagnostic.get(buf)
local cleared = vim.wait(15000, function() return #vim.diagnostic.get(buf) < before end, 50)

finish({
  diagnostics = diagnostics,
  actions = titles,
  applied = applied,
  after_fix = #vim.diagnostic.get(buf),
  cleared = cleared,
  nvim = vim.version().major .. "." .. vim.version().minor,
})
