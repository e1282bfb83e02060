" Copilot ghost text for Vim 9 over `copilot lsp` (Neovim: lua/copilot_cli.lua).
"
" The language server runs as a job whose channel speaks LSP (Vim 8.2.4780+);
" every request is asynchronous, answered through a callback. A suggestion is
" drawn as virtual text properties (Vim 9.0.0067+): its first line at the
" cursor, the others below. An answer is drawn only while the buffer, its
" change count and the cursor are still those it was asked for.
" Errors go to the message area, never into the buffer.

let s:job = v:null
let s:channel = v:null
let s:ready = 0
let s:start_error = ''
let s:timer = -1
let s:pending = 0
let s:request = 0
let s:suggestion = {}
let s:status = ''
let s:stderr = []
let s:prop = 'CopilotSuggestion'
let s:showmode = 0
let s:queue = []
let s:stats = {'answers': 0, 'stale': 0}

" Default per-filetype switches, as copilot.vim's (g:copilot_filetypes overrides).
let s:filetype_defaults = {
      \ 'gitcommit': 0, 'gitrebase': 0, 'hgcommit': 0, 'svn': 0, 'cvs': 0,
      \ 'help': 0, 'yaml': 0, 'markdown': 0, '.': 0}

" ---- messages ----------------------------------------------------------

" Shows `text` in the message area (one line, so no hit-enter prompt).
function! s:Echo(text, hl) abort
  let width = max([20, &columns - 15])
  let line = substitute(a:text, '[\r\n]\+', ' ', 'g')
  if strdisplaywidth(line) > width
    let line = strcharpart(line, 0, width - 1) . '…'
  endif
  " In insert mode the mode message would overwrite it at once: it makes way
  " until insert mode ends (copilot_cli#leave puts it back).
  if &showmode && mode() =~# '^[iR]'
    set noshowmode
    let s:showmode = 1
  endif
  redraw
  execute 'echohl' a:hl
  echomsg line
  echohl None
endfunction

function! s:Error(text) abort
  call s:Echo('Copilot: ' . a:text, 'WarningMsg')
endfunction

" ---- the server --------------------------------------------------------

" The server's command line: g:copilot_command (a program or a list) + `lsp`.
function! s:Command() abort
  let command = get(g:, 'copilot_command', 'copilot')
  return (type(command) == v:t_list ? copy(command) : [command]) + ['lsp']
endfunction

" Starts the server if it is not running; false when it cannot run.
function! s:Start() abort
  if s:job isnot v:null && job_status(s:job) ==# 'run'
    return 1
  endif
  let command = s:Command()
  if !executable(command[0])
    let error = printf('%s not found: put copilot on PATH or set g:copilot_command', command[0])
    if s:start_error !=# error
      let s:start_error = error
      call s:Error(error)
    endif
    return 0
  endif
  let s:ready = 0
  let s:stderr = []
  let s:job = job_start(command, {
        \ 'in_mode': 'lsp', 'out_mode': 'lsp', 'err_mode': 'nl', 'noblock': 1,
        \ 'out_cb': function('s:OnMessage'), 'err_cb': function('s:OnStderr'),
        \ 'exit_cb': function('s:OnExit'), 'stoponexit': 'term'})
  if job_status(s:job) !=# 'run'
    let s:job = v:null
    call s:Error('could not start ' . join(command))
    return 0
  endif
  let s:channel = job_getchannel(s:job)
  let s:start_error = ''
  let editor_version = printf('%d.%d.%d', v:version / 100, v:version % 100, v:versionlong % 10000)
  call ch_sendexpr(s:channel, {'method': 'initialize', 'params': {
        \ 'processId': getpid(),
        \ 'clientInfo': {'name': 'Vim', 'version': editor_version},
        \ 'rootUri': v:null,
        \ 'capabilities': {'general': {'positionEncodings': ['utf-8']}},
        \ 'initializationOptions': {
        \   'editorInfo': {'name': 'Vim', 'version': editor_version},
        \   'editorPluginInfo': {'name': 'copilot-cli.vim', 'version': '0.1.0'}}}},
        \ {'callback': function('s:OnInitialize')})
  return 1
endfunction

function! s:OnInitialize(channel, message) abort
  if has_key(a:message, 'error')
    call s:Error('the language server failed to start: ' . get(a:message.error, 'message', ''))
    return
  endif
  call ch_sendexpr(a:channel, {'method': 'initialized', 'params': {}})
  let s:ready = 1
  let [queue, s:queue] = [s:queue, []]
  for [method, params, Callback] in queue
    call ch_sendexpr(a:channel, {'method': method, 'params': params}, {'callback': Callback})
  endfor
  if mode() ==# 'i'
    call copilot_cli#schedule()
  endif
endfunction

" Notifications and requests from the server.
function! s:OnMessage(channel, message) abort
  if type(a:message) != v:t_dict
    return
  endif
  let method = get(a:message, 'method', '')
  let params = get(a:message, 'params', {})
  if method ==# 'window/showMessage' || method ==# 'window/showMessageRequest'
    call s:Echo(get(params, 'message', ''), get(params, 'type', 3) <= 2 ? 'WarningMsg' : 'None')
  elseif method ==# 'didChangeStatus'
    let s:status = get(params, 'message', '')
  endif
  if has_key(a:message, 'id') && !empty(method)
    " A request: answered (showMessageRequest with no choice made, the rest unknown).
    let answer = method ==# 'window/showMessageRequest' ? {'result': v:null}
          \ : {'error': {'code': -32601, 'message': 'not supported by the Vim plugin'}}
    call ch_sendexpr(a:channel, extend({'id': a:message.id}, answer))
  endif
endfunction

function! s:OnStderr(channel, line) abort
  call add(s:stderr, a:line)
  if len(s:stderr) > 20
    call remove(s:stderr, 0)
  endif
endfunction

function! s:OnExit(job, status) abort
  if a:job isnot s:job
    return
  endif
  let s:job = v:null
  let s:ready = 0
  call s:Clear()
  if a:status != 0
    let reason = empty(s:stderr) ? '' : ': ' . s:stderr[-1]
    call s:Error(printf('copilot lsp exited with status %d%s', a:status, reason))
  endif
endfunction

" Sends a request when the server is ready; `Callback` gets the message.
function! s:Send(method, params, Callback) abort
  if !s:Start() || !s:ready
    return 0
  endif
  let sent = ch_sendexpr(s:channel, {'method': a:method, 'params': a:params},
        \ {'callback': a:Callback})
  return type(sent) == v:t_dict ? get(sent, 'id', 0) : 0
endfunction

function! s:Notify(method, params) abort
  if s:ready && s:channel isnot v:null
    call ch_sendexpr(s:channel, {'method': a:method, 'params': a:params})
  endif
endfunction

" ---- enabled? ----------------------------------------------------------

" Whether Copilot runs in the current buffer.
function! copilot_cli#enabled() abort
  if !get(g:, 'copilot_enabled', 1) || (&buftype !=# '' && &buftype !=# 'acwrite')
    return 0
  endif
  if exists('b:copilot_enabled')
    return b:copilot_enabled
  endif
  let filetypes = extend(copy(s:filetype_defaults), get(g:, 'copilot_filetypes', {}))
  for type in split(empty(&filetype) ? '' : &filetype, '\.')
    if has_key(filetypes, type)
      return filetypes[type]
    endif
  endfor
  return get(filetypes, '*', 1)
endfunction

" ---- asking ------------------------------------------------------------

" Where the cursor is: what an answer must still match to be drawn.
function! s:Context() abort
  return {'bufnr': bufnr(''), 'tick': b:changedtick, 'line': line('.'), 'col': col('.')}
endfunction

function! s:Uri() abort
  let name = expand('%:p')
  if empty(name)
    return 'untitled:' . bufnr('')
  endif
  return 'file://' . substitute(name, '[^A-Za-z0-9/._~-]', '\=printf("%%%02X", char2nr(submatch(0)))', 'g')
endfunction

" `getCompletions`' params: the whole text goes along, so no document sync is needed.
function! s:Params() abort
  let path = expand('%:.')
  return {'doc': {
        \ 'uri': s:Uri(),
        \ 'version': b:changedtick,
        \ 'languageId': empty(&filetype) ? 'plaintext' : split(&filetype, '\.')[0],
        \ 'relativePath': empty(path) ? 'untitled' : path,
        \ 'source': join(getline(1, '$'), "\n") . "\n",
        \ 'position': {'line': line('.') - 1, 'character': col('.') - 1}}}
endfunction

" Clears the suggestion and asks again after a pause (insert mode typing).
function! copilot_cli#schedule() abort
  call s:Clear()
  call s:StopTimer()
  if !copilot_cli#enabled()
    return
  endif
  let s:timer = timer_start(get(g:, 'copilot_idle_delay', 75), function('s:Ask'))
endfunction

function! s:StopTimer() abort
  if s:timer != -1
    call timer_stop(s:timer)
    let s:timer = -1
  endif
endfunction

" Cancels the request in flight, if any.
function! s:Cancel() abort
  if s:pending
    call s:Notify('$/cancelRequest', {'id': s:pending})
    let s:pending = 0
  endif
endfunction

function! s:Ask(...) abort
  let s:timer = -1
  if mode() !=# 'i' || !copilot_cli#enabled()
    return
  endif
  call s:Cancel()
  let s:request += 1
  let context = extend(s:Context(), {'request': s:request})
  let s:pending = s:Send('getCompletions', s:Params(), function('s:OnCompletions', [context, 0]))
endfunction

" An answer: drawn only if it is the latest and the cursor has not moved.
function! s:OnCompletions(context, cycling, channel, message) abort
  let s:stats.answers += 1
  if a:context.request != s:request
    let s:stats.stale += 1
    return
  endif
  let s:pending = 0
  let items = get(get(a:message, 'result', {}), 'completions', [])
  let context = extend(s:Context(), {'request': s:request})
  if mode() !=# 'i' || context != a:context || type(items) != v:t_list
    let s:stats.stale += 1
    return
  endif
  call filter(items, 'type(v:val) == v:t_dict && !empty(s:Display(v:val))')
  if a:cycling
    let shown = empty(s:suggestion) ? [] : s:suggestion.items
    let texts = map(copy(shown), 'v:val.displayText')
    let merged = shown + filter(items, 'index(texts, v:val.displayText) < 0')
    if empty(merged)
      return
    endif
    let index = empty(s:suggestion) ? 0 : (s:suggestion.index + a:cycling + len(merged)) % len(merged)
    let s:suggestion = extend(a:context, {'items': merged, 'index': index, 'cycled': 1})
  else
    if empty(items)
      return
    endif
    let s:suggestion = extend(a:context, {'items': items, 'index': 0, 'cycled': 0})
  endif
  call s:Draw()
endfunction

" Completion answers received, and those dropped as stale (for tests and bug reports).
function! copilot_cli#stats() abort
  return copy(s:stats)
endfunction

" ---- drawing -----------------------------------------------------------

" The item's lines as shown: the first without the part of the line it replaces.
function! s:Display(item) abort
  let lines = split(get(a:item, 'displayText', ''), "\n", 1)
  let end = get(get(get(a:item, 'range', {}), 'end', {}), 'character', -1)
  let start = get(get(a:item, 'position', {}), 'character', -1)
  if len(lines) == 1 && end > start && start >= 0
    let rest = trim(strpart(getline('.'), start, end - start))
    let first = substitute(lines[0], '\s\+$', '', '')
    if !empty(rest) && strpart(first, len(first) - len(rest)) ==# rest
      let lines[0] = strpart(first, 0, len(first) - len(rest))
    endif
  endif
  return join(lines, '') ==# '' ? [] : lines
endfunction

function! s:Current() abort
  return !empty(s:suggestion) && s:suggestion == extend(copy(s:suggestion), s:Context())
endfunction

function! s:Draw() abort
  call s:Undraw()
  let item = s:suggestion.items[s:suggestion.index]
  let lines = s:Display(item)
  if empty(prop_type_get(s:prop))
    call prop_type_add(s:prop, {'highlight': 'CopilotSuggestion'})
  endif
  let [lnum, col] = [s:suggestion.line, s:suggestion.col]
  if !empty(lines[0])
    call prop_add(lnum, col, {'type': s:prop, 'text': lines[0]})
  endif
  for text in lines[1:]
    call prop_add(lnum, 0, {'type': s:prop, 'text': empty(text) ? ' ' : text,
          \ 'text_align': 'below'})
  endfor
  call s:Notify('notifyShown', {'uuid': get(item, 'uuid', '')})
  redraw
endfunction

function! s:Undraw() abort
  if !empty(prop_type_get(s:prop))
    call prop_remove({'type': s:prop, 'all': 1})
  endif
endfunction

" Forgets and undraws the suggestion.
function! s:Clear() abort
  let s:suggestion = {}
  call s:Undraw()
endfunction

" ---- keys --------------------------------------------------------------

" Tab's <expr>: keys that accept the suggestion, or `fallback` when none shows.
function! copilot_cli#accept_keys(fallback) abort
  return s:Current() ? "\<Cmd>call copilot_cli#accept(0)\<CR>" : a:fallback
endfunction

" Alt-Right's <expr>: accepts one word.
function! copilot_cli#accept_word_keys(fallback) abort
  return s:Current() ? "\<Cmd>call copilot_cli#accept(1)\<CR>" : a:fallback
endfunction

" Ctrl-]'s <expr>: dismisses the suggestion, else the key's own work.
function! copilot_cli#dismiss_keys(fallback) abort
  return s:Current() ? "\<Cmd>call copilot_cli#dismiss()\<CR>" : a:fallback
endfunction

" Inserts the suggestion (or its first word when `word`) at the cursor.
function! copilot_cli#accept(word) abort
  if !s:Current()
    return
  endif
  let item = s:suggestion.items[s:suggestion.index]
  let text = get(item, 'displayText', '')
  let lnum = line('.')
  let line = getline(lnum)
  let before = strpart(line, 0, col('.') - 1)
  let end = get(get(item, 'range', {}), 'end', {})
  let cut = !a:word && get(end, 'line', -1) == lnum - 1 ? max([len(before), end.character]) : len(before)
  if a:word
    let text = matchstr(text, '^\_s*\%(\k\+\|[^[:space:]]\)')
  endif
  let lines = split(text, "\n", 1)
  let last = len(lines) == 1 ? len(before) + len(lines[0]) : len(lines[-1])
  let lines[0] = before . lines[0]
  let lines[-1] .= strpart(line, cut)
  call s:Clear()
  call setline(lnum, lines[0])
  if len(lines) > 1
    call append(lnum, lines[1:])
  endif
  call cursor(lnum + len(lines) - 1, last + 1)
  if !a:word
    call s:Notify('notifyAccepted', {'uuid': get(item, 'uuid', '')})
  endif
endfunction

" Undraws the suggestion and tells the server it was rejected.
function! copilot_cli#dismiss() abort
  if !empty(s:suggestion)
    call s:Notify('notifyRejected', {'uuids': map(copy(s:suggestion.items), 'get(v:val, "uuid", "")')})
  endif
  call s:StopTimer()
  call s:Cancel()
  call s:Clear()
endfunction

" Shows the next (`step` 1) or previous (-1) suggestion, fetching the others once.
function! copilot_cli#cycle(step) abort
  if mode() !=# 'i' || !copilot_cli#enabled()
    return
  endif
  if s:Current() && (s:suggestion.cycled || len(s:suggestion.items) > 1)
    let count = len(s:suggestion.items)
    let s:suggestion.index = (s:suggestion.index + a:step + count) % count
    call s:Draw()
    return
  endif
  if !s:Current()
    call s:Clear()
  endif
  call s:StopTimer()
  call s:Cancel()
  let s:request += 1
  let context = extend(s:Context(), {'request': s:request})
  let s:pending = s:Send('getCompletionsCycling', s:Params(),
        \ function('s:OnCompletions', [context, a:step]))
endfunction

" Cursor moved in insert mode: a suggestion made for elsewhere goes.
function! copilot_cli#moved() abort
  if !empty(s:suggestion) && !s:Current()
    call s:Clear()
  endif
endfunction

" Insert mode left, or the buffer: nothing stays drawn or asked.
function! copilot_cli#leave() abort
  if s:showmode
    set showmode
    let s:showmode = 0
  endif
  call s:StopTimer()
  call s:Cancel()
  call s:Clear()
endfunction

" ---- for :Copilot (autoload/copilot_cli/command.vim) -------------------

" Sends a request for a command, starting the server first when needed.
function! copilot_cli#request(method, params, Callback) abort
  if !s:Start()
    return
  endif
  if !s:ready
    " Sent once the server has answered initialize (nothing waits for it).
    call add(s:queue, [a:method, a:params, a:Callback])
    return
  endif
  call ch_sendexpr(s:channel, {'method': a:method, 'params': a:params}, {'callback': a:Callback})
endfunction

" Restarts the language server.
function! copilot_cli#restart() abort
  if s:job isnot v:null
    call job_stop(s:job)
    let s:job = v:null
  endif
  call s:Start()
endfunction

" Shows `text` in the message area with highlight `hl`.
function! copilot_cli#echo(text, hl) abort
  call s:Echo(a:text, a:hl)
endfunction

" The last status the server reported (`didChangeStatus`).
function! copilot_cli#status_message() abort
  return s:status
endfunction
