-- Drives a headless Neovim against `listlint server` (tests/test_server_editors.py): the
-- configuration is the README's init.lua, loaded before this file. Waits for the
-- diagnostics of the open Markdown file, writes them to $LISTLINT_OUT, then writes the
-- buffer (the README's BufWritePre autocommand applies source.fixAll.listlint) and quits.
local out = os.getenv('LISTLINT_OUT')
local lines = {}
local got = vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
if not got then
  table.insert(lines, 'timeout: no diagnostics')
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format('%d:%d %s %s', d.lnum + 1, d.col + 1, tostring(d.code), d.source))
end
local client = vim.lsp.get_clients({ bufnr = 0, name = 'listlint' })[1]
table.insert(lines, 'client: ' .. (client and client.name or 'none'))
table.insert(lines, 'nvim: ' .. tostring(vim.version()))
vim.fn.writefile(lines, out)
vim.cmd('write')
vim.cmd('qall!')
