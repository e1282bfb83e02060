" :Copilot in Vim (Neovim: lua/copilot_cli/commands.lua): status, login,
" logout, enable/disable, restart. Every command is asynchronous; answers are
" echoed. The server and the ghost text are autoload/copilot_cli.vim.

" The :Copilot command.
function! copilot_cli#command#run(bang, ...) abort
  let action = a:0 ? a:1 : 'status'
  let scope = a:0 > 1 ? a:2 : ''
  if action ==# 'enable' || action ==# 'disable'
    if scope ==# 'buffer'
      let b:copilot_enabled = action ==# 'enable'
    else
      let g:copilot_enabled = action ==# 'enable'
    endif
    if action ==# 'disable'
      call copilot_cli#leave()
    endif
    call copilot_cli#echo(printf('Copilot: %sd%s', action, scope ==# 'buffer' ? ' in this buffer' : ''), 'None')
  elseif action ==# 'status'
    call s:Status()
  elseif action ==# 'login' || action ==# 'signin'
    call s:Login()
  elseif action ==# 'logout' || action ==# 'signout'
    call copilot_cli#request('signOut', {}, function('s:OnSignOut'))
  elseif action ==# 'restart'
    call copilot_cli#restart()
  else
    call copilot_cli#echo('Copilot: unknown command ' . action
          \ . ' (status, login, logout, enable, disable, restart)', 'WarningMsg')
  endif
endfunction

" Completion of :Copilot's arguments.
function! copilot_cli#command#complete(lead, line, pos) abort
  let words = split(a:line[: a:pos - 1], '\s\+', 1)
  let options = len(words) <= 2 ? ['status', 'login', 'logout', 'enable', 'disable', 'restart']
        \ : (words[1] =~# '^\%(enable\|disable\)$' ? ['buffer'] : [])
  return filter(options, 'stridx(v:val, a:lead) == 0')
endfunction

function! s:Failed(message) abort
  if has_key(a:message, 'error')
    call copilot_cli#echo('Copilot: ' . get(a:message.error, 'message', 'failed'), 'WarningMsg')
    return 1
  endif
  return 0
endfunction

function! s:Status() abort
  let enabled = copilot_cli#enabled() ? 'enabled' : 'disabled'
  call copilot_cli#request('checkStatus', {'options': {'localChecksOnly': v:false}},
        \ function('s:OnStatus', [enabled]))
endfunction

function! s:OnStatus(enabled, channel, message) abort
  if s:Failed(a:message)
    return
  endif
  let result = get(a:message, 'result', {})
  let status = get(result, 'status', '')
  let user = has_key(result, 'user') ? ' as ' . result.user : ''
  if status ==# 'OK' || status ==# 'MaybeOk'
    let text = printf('Copilot: ready, signed in%s; %s here', user, a:enabled)
  elseif status ==# 'NotAuthorized'
    let text = printf('Copilot: signed in%s but without Copilot access', user)
  else
    let text = 'Copilot: not signed in; run :Copilot login'
  endif
  call copilot_cli#echo(text . (empty(copilot_cli#status_message()) ? '' : ' (' . copilot_cli#status_message() . ')'), status ==# 'OK' ? 'None' : 'WarningMsg')
endfunction

function! s:Login() abort
  call copilot_cli#request('signInInitiate', {}, function('s:OnSignIn'))
endfunction

function! s:OnSignIn(channel, message) abort
  if s:Failed(a:message)
    return
  endif
  let result = get(a:message, 'result', {})
  if get(result, 'status', '') ==# 'AlreadySignedIn'
    call copilot_cli#echo('Copilot: already signed in' . (has_key(result, 'user') ? ' as ' . result.user : ''), 'None')
    return
  endif
  let [code, uri] = [get(result, 'userCode', ''), get(result, 'verificationUri', '')]
  if has('clipboard')
    silent! let @+ = code
  endif
  let opened = s:OpenBrowser(uri)
  call copilot_cli#echo(printf('Copilot: enter the code %s at %s%s', code, uri,
        \ opened ? ' (opened in your browser)' : ''), 'MoreMsg')
  call ch_sendexpr(a:channel, {'method': 'signInConfirm', 'params': {'userCode': code}},
        \ {'callback': function('s:OnSignedIn')})
endfunction

function! s:OnSignedIn(channel, message) abort
  if s:Failed(a:message)
    return
  endif
  call copilot_cli#echo('Copilot: signed in as ' . get(get(a:message, 'result', {}), 'user', '?'), 'None')
endfunction

function! s:OnSignOut(channel, message) abort
  if s:Failed(a:message)
    return
  endif
  let result = get(a:message, 'result', {})
  call copilot_cli#echo(get(result, 'status', '') ==# 'NotSignedIn' ? 'Copilot: signed out'
        \ : 'Copilot: signed out here; a token from the environment or copilot.vim still signs in', 'None')
endfunction

" Opens `url` as `copilot login` does (open, rundll32, xdg-open with a display); false if not.
function! s:OpenBrowser(url) abort
  if has('win32')
    let command = ['rundll32', 'url.dll,FileProtocolHandler', a:url]
  elseif has('mac') || has('macunix')
    let command = ['open', a:url]
  elseif (!empty($DISPLAY) || !empty($WAYLAND_DISPLAY)) && executable('xdg-open')
    let command = ['xdg-open', a:url]
  else
    return 0
  endif
  if !executable(command[0])
    return 0
  endif
  call job_start(command, {'in_io': 'null', 'out_io': 'null', 'err_io': 'null', 'stoponexit': ''})
  return 1
endfunction
