-- Run by tests/editors/test_neovim.py inside `nvim --headless`, after the guide's
-- configuration: wait for the whole-project diagnostics of the open buffer, ask
-- the server for the code actions of the first N+1, write all of it as JSON.
local out_path = os.getenv("DJREVIEW_NVIM_OUT")
local function project_diagnostic()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if tostring(d.code):match("^DJR1") then
      return d
    end
  end
end
vim.wait(90000, function() return project_diagnostic() ~= nil end, 100)
local result = {
  version = vim.version().major * 100 + vim.version().minor,
  filetype = vim.bo.filetype,
  clients = #vim.lsp.get_clients({ bufnr = 0 }),
  diagnostics = {},
  actions = {},
}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(result.diagnostics, {
    line = d.lnum + 1,
    code = tostring(d.code),
    related = #(lsp.relatedInformation or {}),
  })
end
local first = project_diagnostic()
local client = vim.lsp.get_clients({ bufnr = 0 })[1]
if first and client then
  local reply = client:request_sync("textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    range = {
      start = { line = first.lnum, character = first.col },
      ["end"] = { line = first.end_lnum, character = first.end_col },
    },
    context = { diagnostics = { first.user_data.lsp } },
  }, 30000, 0)
  for _, action in ipairs((reply and reply.result) or {}) do
    table.insert(result.actions, action.title)
  end
end
local file = assert(io.open(out_path, "w"))
file:write(vim.json.encode(result))
file:close()
vim.cmd("qa!")
