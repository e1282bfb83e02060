-- Neovim's :Copilot command, keys and autocommands (the ghost text itself is
-- copilot_cli/init.lua). Every command is asynchronous: answers are echoed.

local copilot = require("copilot_cli")
local api, fn = vim.api, vim.fn

local C = {}

local function failed(err)
  if err then
    copilot.warn(err.message or tostring(err))
    return true
  end
  return false
end

local function status()
  local enabled = copilot.enabled() and "enabled" or "disabled"
  copilot.request("checkStatus", { options = { localChecksOnly = false } }, function(err, result)
    if failed(err) then return end
    local user = result and result.user and (" as " .. result.user) or ""
    local state = result and result.status or ""
    local text
    if state == "OK" or state == "MaybeOk" then
      text = ("Copilot: ready, signed in%s; %s here"):format(user, enabled)
    elseif state == "NotAuthorized" then
      text = ("Copilot: signed in%s but without Copilot access"):format(user)
    else
      text = "Copilot: not signed in; run :Copilot login"
    end
    local extra = copilot.status_message()
    copilot.echo(text .. (extra ~= "" and (" (" .. extra .. ")") or ""),
      state == "OK" and "None" or "WarningMsg")
  end)
end

-- Opens `url` as `copilot login` does (open, rundll32, xdg-open with a display); false if not.
local function open_browser(url)
  local cmd
  if fn.has("win32") == 1 then
    cmd = { "rundll32", "url.dll,FileProtocolHandler", url }
  elseif fn.has("mac") == 1 or fn.has("macunix") == 1 then
    cmd = { "open", url }
  elseif (vim.env.DISPLAY or vim.env.WAYLAND_DISPLAY) and fn.executable("xdg-open") == 1 then
    cmd = { "xdg-open", url }
  end
  if not cmd or fn.executable(cmd[1]) ~= 1 then return false end
  fn.jobstart(cmd, { detach = true })
  return true
end

local function login()
  copilot.request("signInInitiate", {}, function(err, result)
    if failed(err) or not result then return end
    if result.status == "AlreadySignedIn" then
      copilot.echo("Copilot: already signed in" .. (result.user and (" as " .. result.user) or ""))
      return
    end
    local code, uri = result.userCode or "", result.verificationUri or ""
    pcall(fn.setreg, "+", code)
    local opened = open_browser(uri)
    copilot.echo(("Copilot: enter the code %s at %s%s"):format(code, uri,
      opened and " (opened in your browser)" or ""), "MoreMsg")
    copilot.request("signInConfirm", { userCode = code }, function(err2, done)
      if failed(err2) then return end
      copilot.echo("Copilot: signed in as " .. ((done and done.user) or "?"))
    end)
  end)
end

local function logout()
  copilot.request("signOut", {}, function(err, result)
    if failed(err) then return end
    copilot.echo(result and result.status == "NotSignedIn" and "Copilot: signed out"
      or "Copilot: signed out here; a token from the environment or copilot.vim still signs in")
  end)
end

local ACTIONS = { "status", "login", "logout", "enable", "disable", "restart" }

local function command(opts)
  local action, scope = opts.fargs[1] or "status", opts.fargs[2]
  if action == "enable" or action == "disable" then
    local on = action == "enable"
    if scope == "buffer" then vim.b.copilot_enabled = on else vim.g.copilot_enabled = on end
    if not on then copilot.leave() end
    copilot.echo(("Copilot: %sd%s"):format(action, scope == "buffer" and " in this buffer" or ""))
  elseif action == "status" then
    status()
  elseif action == "login" or action == "signin" then
    login()
  elseif action == "logout" or action == "signout" then
    logout()
  elseif action == "restart" then
    copilot.restart()
  else
    copilot.warn("unknown command " .. action .. " (" .. table.concat(ACTIONS, ", ") .. ")")
  end
end

local function complete(lead, line)
  local words = vim.split(line, "%s+")
  local options = #words <= 2 and ACTIONS
    or ((words[2] == "enable" or words[2] == "disable") and { "buffer" } or {})
  return vim.tbl_filter(function(option) return option:sub(1, #lead) == lead end, options)
end

local function unmapped(lhs)
  return fn.maparg(lhs, "i") == ""
end

-- Maps `lhs` in insert mode to `action` when a suggestion shows, else to `fallback`
-- (key notation). A Vim script <expr>: Neovim 0.7 mangles <Cmd> returned from Lua.
local function map(lhs, action, fallback)
  local fallback_keys = fallback == "" and '""' or ('"\\%s"'):format(fallback)
  vim.cmd(([[inoremap <silent><expr> %s luaeval("require'copilot_cli'.visible()") ? "\<Cmd>lua require('copilot_cli').%s\<CR>" : %s]])
    :format(lhs, action, fallback_keys))
end

local function keys()
  local cmd = function(action) return "<Cmd>lua require('copilot_cli')." .. action .. "<CR>" end
  vim.keymap.set("i", "<Plug>(copilot-next)", cmd("cycle(1)"), { silent = true })
  vim.keymap.set("i", "<Plug>(copilot-previous)", cmd("cycle(-1)"), { silent = true })
  map("<Plug>(copilot-accept)", "accept(false)", "")
  map("<Plug>(copilot-accept-word)", "accept(true)", "")
  map("<Plug>(copilot-dismiss)", "dismiss()", "")
  if vim.g.copilot_no_maps then return end
  -- Tab is left alone when another plugin (or the user) maps it.
  if not vim.g.copilot_no_tab_map and unmapped("<Tab>") then map("<Tab>", "accept(false)", "<Tab>") end
  if unmapped("<M-]>") then vim.keymap.set("i", "<M-]>", "<Plug>(copilot-next)") end
  if unmapped("<M-[>") then vim.keymap.set("i", "<M-[>", "<Plug>(copilot-previous)") end
  if unmapped("<C-]>") then map("<C-]>", "dismiss()", "<C-]>") end
  if unmapped("<M-Right>") then map("<M-Right>", "accept(true)", "<M-Right>") end
end

-- Highlight, autocommands, keys and :Copilot.
function C.setup()
  local function highlight()
    vim.cmd("highlight default CopilotSuggestion ctermfg=244 guifg=#808080")
  end
  highlight()
  local group = api.nvim_create_augroup("copilot_cli", { clear = true })
  local on = function(events, callback)
    api.nvim_create_autocmd(events, { group = group, callback = function() callback() end })
  end
  on({ "InsertEnter", "TextChangedI" }, copilot.schedule)
  on("CursorMovedI", copilot.moved)
  on({ "InsertLeave", "BufLeave" }, copilot.leave)
  on("ColorScheme", highlight)
  keys()
  api.nvim_create_user_command("Copilot", command, { nargs = "*", complete = complete })
end

return C
