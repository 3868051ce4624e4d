-- Headless Neovim as a second LSP client of the Deliverlint language server (test/editors/neovim.test.ts).
-- Opens the template named by DELIVERLINT_FILE, starts the server over stdio, waits for its
-- diagnostics, asks for the code actions at the unsubscribe finding, applies the quick fix with
-- Neovim's own workspace-edit code, waits for the diagnostics of the edited buffer, writes all of it
-- to DELIVERLINT_OUT as JSON and quits. Written for Debian 12's Neovim 0.7 (vim.lsp.start_client and
-- buf_attach_client; vim.lsp.start came in 0.8 and vim.lsp.config in 0.11), which later versions keep.

local server = os.getenv('DELIVERLINT_SERVER')
local file = os.getenv('DELIVERLINT_FILE')
local out = os.getenv('DELIVERLINT_OUT')
local node = os.getenv('DELIVERLINT_NODE') or 'node'
local wait_ms = tonumber(os.getenv('DELIVERLINT_WAIT_MS') or '20000')

local report = { nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch), steps = {} }

local function write_report()
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(report))
  f:close()
end

local function step(name)
  table.insert(report.steps, name)
end

local function finish(err)
  if err then report.error = err end
  write_report()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  report.filetype = vim.bo[bufnr].filetype
  local uri = vim.uri_from_bufnr(bufnr)

  -- Every publishDiagnostics, as the server sent it (LSP ranges), before Neovim converts them.
  local published = {}
  local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  local client_id = vim.lsp.start_client({
    name = 'deliverlint',
    cmd = { node, server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    -- Neovim 0.7 answers workspace/configuration from `settings` but does not say so in its
    -- capabilities, so the server never asks: the settings go in initializationOptions (docs/editors.md).
    init_options = { settings = { sender = { unsubscribeUrl = 'https://books.example.com/unsubscribe?u={{ subscriber_id }}' } } },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, result, ctx, config)
        if result and result.uri == uri then table.insert(published, result) end
        return default_publish(e, result, ctx, config)
      end,
    },
  })
  if not client_id then error('vim.lsp.start_client returned nil') end
  vim.lsp.buf_attach_client(bufnr, client_id)
  step('started')

  if not vim.wait(wait_ms, function() return #published > 0 end, 50) then error('no diagnostics within ' .. wait_ms .. ' ms') end
  local first = published[#published]
  report.diagnostics = first.diagnostics
  report.neovim_diagnostics = #vim.diagnostic.get(bufnr)
  step('diagnostics')

  local client = vim.lsp.get_client_by_id(client_id)
  local target
  for _, d in ipairs(first.diagnostics) do
    if d.code == 'unsubscribe-link-missing' then target = d end
  end
  if not target then error('no unsubscribe-link-missing diagnostic') end
  local response = client.request_sync('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = target.range,
    context = { diagnostics = { target } },
  }, wait_ms, bufnr)
  if not response or response.err then error('codeAction failed: ' .. vim.inspect(response)) end
  report.actions = response.result or {}
  step('codeActions')

  -- Apply the footer-link quick fix the way Neovim applies a code action's edit.
  local fix
  for _, a in ipairs(report.actions) do
    if not fix and a.kind == 'quickfix' and a.edit and a.title:find('^Insert an unsubscribe') then fix = a end
  end
  if not fix then error('no quick fix inserting an unsubscribe link') end
  report.applied = fix.title
  local before = #published
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
  report.text_after_fix = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  step('applied')

  -- The edit reaches the server as didChange; its next diagnostics are those of the fixed text.
  -- A publish of the old text may still be on its way: wait for one without the fixed finding, and
  -- report the last one either way (the test says what is left).
  local function fixed(p)
    for _, d in ipairs(p.diagnostics) do
      if d.code == 'unsubscribe-link-missing' then return false end
    end
    return true
  end
  vim.wait(wait_ms, function() return #published > before and fixed(published[#published]) end, 50)
  if #published == before then error('no diagnostics after the fix within ' .. wait_ms .. ' ms') end
  report.diagnostics_after_fix = published[#published].diagnostics
  step('relinted')

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  step('stopped')
end)

finish(not ok and tostring(err) or nil)
