// A minimal VS Code client for `listlint server`: it starts the server over standard
// input and output for Markdown files; everything else (diagnostics, quick fixes,
// source.fixAll.listlint, Format Document, hovers, watched configuration) is the server's.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("listlint");
  const serverOptions = {
    command: config.get("path", "listlint"),
    args: ["server"],
    transport: TransportKind.stdio, // adds --stdio, which `listlint server` accepts
  };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
    ],
    initializationOptions: { fixAllOnFormat: config.get("fixAllOnFormat", false) },
  };
  client = new LanguageClient("listlint", "listlint", serverOptions, clientOptions);
  // The other settings reach the running server (it registers for
  // workspace/didChangeConfiguration and asks with workspace/configuration); another
  // executable needs a new server.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("listlint.path") && client) {
        client.restart();
      }
    }),
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
