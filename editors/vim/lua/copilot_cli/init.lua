-- Copilot ghost text for Neovim 0.7+ over `copilot lsp` (Vim: autoload/copilot_cli.vim);
-- copilot_cli/commands.lua holds :Copilot, the keys and the autocommands.
--
-- The language server runs through vim.lsp (asynchronous: nothing here waits
-- for it). A suggestion is an extmark: its first line as virtual text at the
-- cursor ("inline" from 0.10; before that "overlay" at the end of the line, or
-- "eol" when text follows the cursor), the other lines as virtual lines below.
-- An answer is drawn only while the buffer, its change count and the cursor
-- are still those it was asked for. Errors go to the message area, never into
-- the buffer.

local M = {}

local api, fn = vim.api, vim.fn
local ns = api.nvim_create_namespace("copilot_cli")
local INLINE = fn.has("nvim-0.10") == 1

local client_id = nil -- the vim.lsp client, once started
local ready = false
local start_error = nil
local timer = nil
local pending = nil -- { id = request id } of the completion request in flight
local request = 0 -- number of the latest completion request
local suggestion = nil -- { bufnr, tick, line, col, items, index, cycled, request }
local status_message = ""
local queue = {} -- command requests waiting for the server to start
local stats = { answers = 0, stale = 0 } -- answers received, and those dropped as stale
local showmode = false -- 'showmode' was turned off for a message

-- Default per-filetype switches, as copilot.vim's (g:copilot_filetypes overrides).
local FILETYPE_DEFAULTS = {
  gitcommit = false, gitrebase = false, hgcommit = false, svn = false, cvs = false,
  help = false, yaml = false, markdown = false, ["."] = false,
}

-- ---- messages --------------------------------------------------------

-- Shows `text` in the message area (one line, so no hit-enter prompt).
local function echo(text, hl)
  vim.schedule(function()
    local width = math.max(20, vim.o.columns - 15)
    local line = text:gsub("[\r\n]+", " ")
    if fn.strdisplaywidth(line) > width then
      line = fn.strcharpart(line, 0, width - 1) .. "…"
    end
    -- In insert mode the mode message would overwrite it at once: it makes
    -- way until insert mode ends (M.leave puts it back).
    if vim.o.showmode and api.nvim_get_mode().mode:match("^[iR]") then
      vim.o.showmode = false
      showmode = true
    end
    vim.cmd("redraw")
    api.nvim_echo({ { line, hl or "None" } }, true, {})
  end)
end

local function warn(text)
  echo("Copilot: " .. text, "WarningMsg")
end

-- ---- the server ------------------------------------------------------

local function client()
  return client_id and vim.lsp.get_client_by_id(client_id) or nil
end

-- The server's command line: g:copilot_command (a program or a list) + `lsp`.
local function command()
  local cmd = vim.g.copilot_command or "copilot"
  cmd = type(cmd) == "table" and vim.deepcopy(cmd) or { cmd }
  table.insert(cmd, "lsp")
  return cmd
end

local function show_message(_, params)
  if params and params.message then
    echo(params.message, (params.type or 3) <= 2 and "WarningMsg" or "None")
  end
  return vim.NIL
end

local handlers = {
  ["window/showMessage"] = show_message,
  -- Answered at once with no choice made: a prompt here would block typing.
  ["window/showMessageRequest"] = show_message,
  ["window/logMessage"] = function() end,
  ["didChangeStatus"] = function(_, params)
    status_message = params and params.message or ""
  end,
}

-- Starts the server if it is not running; false when it cannot run.
local function start()
  local running = client()
  if running and not running.is_stopped() then
    return true
  end
  local cmd = command()
  if fn.executable(cmd[1]) ~= 1 then
    local err = cmd[1] .. " not found: put copilot on PATH or set g:copilot_command"
    if start_error ~= err then
      start_error = err
      warn(err)
    end
    return false
  end
  ready = false
  local version = vim.version()
  local editor = { name = "Neovim", version = ("%d.%d.%d"):format(version.major, version.minor, version.patch) }
  client_id = vim.lsp.start_client({
    name = "copilot",
    cmd = cmd,
    offset_encoding = "utf-8",
    capabilities = { general = { positionEncodings = { "utf-8" } } },
    init_options = { editorInfo = editor, editorPluginInfo = { name = "copilot-cli.nvim", version = "0.1.0" } },
    handlers = handlers,
    on_init = function(started)
      -- `started`: vim.lsp (0.7) lists the client only after on_init returns.
      ready = true
      local waiting = queue
      queue = {}
      for _, one in ipairs(waiting) do started.request(one[1], one[2], one[3]) end
      vim.schedule(function()
        if api.nvim_get_mode().mode == "i" then M.schedule() end
      end)
    end,
    on_exit = function()
      ready = false
      client_id = nil
      vim.schedule(function() M.clear() end)
    end,
  })
  start_error = nil
  return client_id ~= nil
end

-- ---- enabled? --------------------------------------------------------

-- Whether Copilot runs in the current buffer.
function M.enabled()
  if vim.g.copilot_enabled == false or vim.g.copilot_enabled == 0 then return false end
  local buftype = vim.bo.buftype
  if buftype ~= "" and buftype ~= "acwrite" then return false end
  local own = vim.b.copilot_enabled
  if own ~= nil then return own ~= false and own ~= 0 end
  local filetypes = vim.tbl_extend("force", FILETYPE_DEFAULTS, vim.g.copilot_filetypes or {})
  for type in vim.bo.filetype:gmatch("[^.]+") do
    if filetypes[type] ~= nil then return filetypes[type] ~= false and filetypes[type] ~= 0 end
  end
  local default = filetypes["*"]
  return default == nil or (default ~= false and default ~= 0)
end

-- ---- asking ----------------------------------------------------------

-- Where the cursor is: what an answer must still match to be drawn.
local function context()
  local cursor = api.nvim_win_get_cursor(0)
  return { bufnr = api.nvim_get_current_buf(), tick = api.nvim_buf_get_changedtick(0),
           line = cursor[1], col = cursor[2] }
end

local function same_place(a, b)
  return a.bufnr == b.bufnr and a.tick == b.tick and a.line == b.line and a.col == b.col
end

-- `getCompletions`' params: the whole text goes along, so no document sync is needed.
local function params(at)
  local name = api.nvim_buf_get_name(0)
  local filetype = vim.bo.filetype:match("[^.]+") or "plaintext"
  local path = name ~= "" and fn.fnamemodify(name, ":.") or "untitled"
  return { doc = {
    uri = name ~= "" and vim.uri_from_fname(name) or ("untitled:" .. at.bufnr),
    version = at.tick,
    languageId = filetype,
    relativePath = path,
    source = table.concat(api.nvim_buf_get_lines(0, 0, -1, false), "\n") .. "\n",
    position = { line = at.line - 1, character = at.col },
  } }
end

local function stop_timer()
  if timer then
    timer:stop()
    timer:close()
    timer = nil
  end
end

-- Cancels the completion request in flight, if any.
local function cancel()
  local running = client()
  if pending and running then running.cancel_request(pending) end
  pending = nil
end

-- The item's lines as shown: the first without the part of the line it replaces.
local function display(item)
  local lines = vim.split(item.displayText or "", "\n", true)
  local start = item.position and item.position.character or -1
  local stop = item.range and item.range["end"] and item.range["end"].character or -1
  if #lines == 1 and stop > start and start >= 0 then
    local rest = vim.trim(api.nvim_get_current_line():sub(start + 1, stop))
    local first = lines[1]:gsub("%s+$", "")
    if rest ~= "" and first:sub(-#rest) == rest then lines[1] = first:sub(1, #first - #rest) end
  end
  return table.concat(lines) ~= "" and lines or nil
end

local draw

-- An answer: drawn only if it is the latest and the cursor has not moved.
local function on_completions(asked, step)
  return function(err, result)
    stats.answers = stats.answers + 1
    if asked.request ~= request then
      stats.stale = stats.stale + 1
      return
    end
    pending = nil
    if err or api.nvim_get_mode().mode ~= "i" or not same_place(context(), asked) then
      stats.stale = stats.stale + 1
      return
    end
    local items = vim.tbl_filter(function(item) return display(item) ~= nil end,
      (result and result.completions) or {})
    if step ~= 0 then
      local merged = suggestion and vim.deepcopy(suggestion.items) or {}
      local texts = {}
      for _, item in ipairs(merged) do texts[item.displayText] = true end
      for _, item in ipairs(items) do
        if not texts[item.displayText] then table.insert(merged, item) end
      end
      if #merged == 0 then return end
      local index = suggestion and ((suggestion.index - 1 + step) % #merged + 1) or 1
      suggestion = vim.tbl_extend("force", asked, { items = merged, index = index, cycled = true })
    else
      if #items == 0 then return end
      suggestion = vim.tbl_extend("force", asked, { items = items, index = 1, cycled = false })
    end
    draw()
  end
end

local function send(method, at, step)
  if not start() or not ready then return end
  request = request + 1
  local asked = vim.tbl_extend("force", at, { request = request })
  local ok, id = client().request(method, params(at), on_completions(asked, step))
  pending = ok and id or nil
end

-- ---- drawing ---------------------------------------------------------

local function current()
  return suggestion ~= nil and same_place(context(), suggestion)
end

local function notify(method, args)
  local running = client()
  if ready and running then running.notify(method, args) end
end

draw = function()
  api.nvim_buf_clear_namespace(suggestion.bufnr, ns, 0, -1)
  local item = suggestion.items[suggestion.index]
  local lines = display(item)
  local hl = "CopilotSuggestion"
  local opts = { hl_mode = "combine" }
  if lines[1] ~= "" then
    opts.virt_text = { { lines[1], hl } }
    if INLINE then
      opts.virt_text_pos = "inline"
    elseif suggestion.col >= #api.nvim_get_current_line() then
      opts.virt_text_pos = "overlay"
    else
      opts.virt_text_pos = "eol"
    end
  end
  if #lines > 1 then
    opts.virt_lines = {}
    for i = 2, #lines do table.insert(opts.virt_lines, { { lines[i], hl } }) end
  end
  api.nvim_buf_set_extmark(suggestion.bufnr, ns, suggestion.line - 1, suggestion.col, opts)
  notify("notifyShown", { uuid = item.uuid })
end

-- Forgets and undraws the suggestion.
function M.clear()
  if suggestion and api.nvim_buf_is_valid(suggestion.bufnr) then
    api.nvim_buf_clear_namespace(suggestion.bufnr, ns, 0, -1)
  end
  suggestion = nil
end

-- Clears the suggestion and asks again after a pause (insert mode typing).
function M.schedule()
  M.clear()
  stop_timer()
  if not M.enabled() then return end
  timer = vim.loop.new_timer()
  timer:start(vim.g.copilot_idle_delay or 75, 0, vim.schedule_wrap(function()
    stop_timer()
    if api.nvim_get_mode().mode ~= "i" or not M.enabled() then return end
    cancel()
    send("getCompletions", context(), 0)
  end))
end

-- ---- keys ------------------------------------------------------------

-- Whether a suggestion shows at the cursor (the keys' <expr> asks).
function M.visible()
  return current()
end

-- Inserts the suggestion (or its first word when `word`) at the cursor.
function M.accept(word)
  if not current() then return end
  local item = suggestion.items[suggestion.index]
  local text = item.displayText or ""
  local lnum, col = suggestion.line, suggestion.col
  local line = api.nvim_get_current_line()
  local stop = item.range and item.range["end"] or {}
  local cut = col
  if not word and stop.line == lnum - 1 and stop.character then cut = math.max(col, stop.character) end
  if word then text = fn.matchstr(text, [=[^\_s*\%(\k\+\|[^[:space:]]\)]=]) end
  local lines = vim.split(text, "\n", true)
  local last = #lines == 1 and col + #lines[1] or #lines[#lines]
  lines[1] = line:sub(1, col) .. lines[1]
  lines[#lines] = lines[#lines] .. line:sub(cut + 1)
  M.clear()
  api.nvim_buf_set_lines(0, lnum - 1, lnum, false, lines)
  api.nvim_win_set_cursor(0, { lnum + #lines - 1, last })
  if not word then notify("notifyAccepted", { uuid = item.uuid }) end
end

-- Undraws the suggestion and tells the server it was rejected.
function M.dismiss()
  if suggestion then
    local uuids = {}
    for _, item in ipairs(suggestion.items) do table.insert(uuids, item.uuid) end
    notify("notifyRejected", { uuids = uuids })
  end
  stop_timer()
  cancel()
  M.clear()
end

-- Shows the next (`step` 1) or previous (-1) suggestion, fetching the others once.
function M.cycle(step)
  if api.nvim_get_mode().mode ~= "i" or not M.enabled() then return end
  if current() and (suggestion.cycled or #suggestion.items > 1) then
    suggestion.index = (suggestion.index - 1 + step) % #suggestion.items + 1
    draw()
    return
  end
  if not current() then M.clear() end
  stop_timer()
  cancel()
  send("getCompletionsCycling", context(), step)
end

-- Cursor moved in insert mode: a suggestion made for elsewhere goes.
function M.moved()
  if suggestion and not current() then M.clear() end
end

-- Insert mode left, or the buffer: nothing stays drawn or asked.
function M.leave()
  if showmode then
    vim.o.showmode = true
    showmode = false
  end
  stop_timer()
  cancel()
  M.clear()
end

-- ---- for the commands (copilot_cli/commands.lua) ----------------------

-- Sends a request, starting the server first when needed; `handler(err, result)`.
function M.request(method, args, handler)
  if not start() then return end
  if ready then
    client().request(method, args, handler)
  else
    table.insert(queue, { method, args, handler })
  end
end

-- Completion answers received, and those dropped as stale (for tests and bug reports).
function M.stats()
  return vim.deepcopy(stats)
end

-- The last status the server reported (`didChangeStatus`).
function M.status_message()
  return status_message
end

-- Restarts the server.
function M.restart()
  local running = client()
  if running then running.stop(true) end
  client_id, ready = nil, false
  start()
end

M.echo = echo
M.warn = warn

-- Sets the plugin up: highlight, autocommands, keys, :Copilot.
function M.setup()
  require("copilot_cli.commands").setup()
end

return M
