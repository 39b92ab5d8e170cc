;;; drive.el --- drive Emacs and eglot against `listlint server' (batch) -*- lexical-binding: t -*-
;; Used by tests/test_server_editors.py: the README's configuration is loaded first (its
;; file is the first argument after this one), then the Markdown file (the second) is
;; opened, its diagnostics waited for and written to $LISTLINT_OUT, and the buffer saved
;; (the README's before-save-hook applies source.fixAll.listlint).
(require 'package)
(package-initialize)
(require 'markdown-mode)
(require 'eglot)
(require 'flymake)
(let* ((config (nth 0 command-line-args-left))
       (file (nth 1 command-line-args-left))
       (out (getenv "LISTLINT_OUT"))
       (lines '()))
  (setq command-line-args-left nil)
  (load (expand-file-name config) nil t)
  (find-file file)
  (run-hooks 'post-command-hook)  ; eglot-ensure connects from the command loop
  (let ((deadline (+ (float-time) 30)))
    (while (and (< (float-time) deadline)
                (not (and (eglot-managed-p) (flymake-diagnostics))))
      (accept-process-output nil 0.05)
      (when (eglot-managed-p) (flymake-start))))
  (unless (flymake-diagnostics) (push "timeout: no diagnostics" lines))
  (dolist (d (sort (flymake-diagnostics)
                   (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))
    (push (format "%d:%d %s"
                  (line-number-at-pos (flymake-diagnostic-beg d))
                  (save-excursion (goto-char (flymake-diagnostic-beg d)) (1+ (current-column)))
                  (flymake-diagnostic-text d))
          lines))
  (push (format "eglot: %s" (if (eglot-managed-p) "managed" "not managed")) lines)
  (push (format "emacs: %s, eglot %s" emacs-version (package-desc-version (cadr (assq (quote eglot) package-alist)))) lines)
  (goto-char (point-max))
  (insert "More text.\n")  ; an edit, so that there is something to save
  (let ((start (float-time)))
    (save-buffer)
    (push (format "saved in %.1f s" (- (float-time) start)) lines))
  (with-temp-file out (insert (mapconcat #'identity (reverse lines) "\n") "\n"))
  (let ((server (eglot-current-server)))
    (when server (eglot-shutdown server))))
