" Copilot ghost text for Vim 9.0+ and Neovim 0.7+ on top of `copilot lsp`.
" Vim's side lives in autoload/copilot_cli.vim, Neovim's in lua/copilot_cli.lua.
" See :help copilot.

if exists('g:loaded_copilot_cli')
  finish
endif
let g:loaded_copilot_cli = 1

if has('nvim') && has('nvim-0.7')
  lua require('copilot_cli').setup()
elseif has('nvim')
  echohl WarningMsg | echomsg 'Copilot: needs Neovim 0.7 or later' | echohl None
endif
if has('nvim')
  finish
endif

if v:version < 900 || !has('textprop') || !has('patch-9.0.0067') || !has('job')
  echohl WarningMsg | echomsg 'Copilot: needs Vim 9.0.0067 or later with +job and +textprop' | echohl None
  finish
endif

highlight default CopilotSuggestion ctermfg=244 guifg=#808080

command! -bang -nargs=* -complete=customlist,copilot_cli#command#complete Copilot
      \ call copilot_cli#command#run(<bang>0, <f-args>)

augroup copilot_cli
  autocmd!
  autocmd InsertEnter,TextChangedI * call copilot_cli#schedule()
  autocmd CursorMovedI * call copilot_cli#moved()
  autocmd InsertLeave,BufLeave * call copilot_cli#leave()
  autocmd ColorScheme * highlight default CopilotSuggestion ctermfg=244 guifg=#808080
augroup END

inoremap <silent><script><expr> <Plug>(copilot-accept) copilot_cli#accept_keys('')
inoremap <silent> <Plug>(copilot-next) <Cmd>call copilot_cli#cycle(1)<CR>
inoremap <silent> <Plug>(copilot-previous) <Cmd>call copilot_cli#cycle(-1)<CR>
inoremap <silent><script><expr> <Plug>(copilot-dismiss) copilot_cli#dismiss_keys('')
inoremap <silent><script><expr> <Plug>(copilot-accept-word) copilot_cli#accept_word_keys('')

if !get(g:, 'copilot_no_maps', 0)
  " Tab is left alone when another plugin (or the user) maps it.
  if !get(g:, 'copilot_no_tab_map', 0) && empty(maparg('<Tab>', 'i'))
    inoremap <silent><script><expr> <Tab> copilot_cli#accept_keys("\t")
  endif
  if !has('gui_running')
    " A terminal sends Alt-] as Esc ]: teach Vim that key code. (Alt-[ sends
    " Esc [, the start of every arrow key's code: it is left alone.)
    if empty(maparg('<M-]>', 'i'))
      silent! execute "set <M-]>=\e]"
    endif
  endif
  if empty(maparg('<M-]>', 'i'))
    imap <M-]> <Plug>(copilot-next)
  endif
  if empty(maparg('<M-[>', 'i'))
    imap <M-[> <Plug>(copilot-previous)
  endif
  if empty(maparg('<C-]>', 'i'))
    inoremap <silent><script><expr> <C-]> copilot_cli#dismiss_keys("\<C-]>")
  endif
  if empty(maparg('<M-Right>', 'i'))
    inoremap <silent><script><expr> <M-Right> copilot_cli#accept_word_keys("\<M-Right>")
  endif
endif
