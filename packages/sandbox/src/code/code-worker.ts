/**
 * Worker entry for the `code` node: loads the QuickJS WebAssembly module once per worker and runs each call in
 * a fresh runtime. If the engine itself breaks (the host stack or a WebAssembly trap), the module instance is
 * not trusted again: the worker exits after answering and the pool starts a clean one.
 */
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { serveTasks } from '../serve-tasks';
import { runCodeInQuickJS, type CodeOutcome, type CodeRequest } from './run-quickjs';

const module = await newQuickJSWASMModuleFromVariant(variant);

serveTasks({
  code: (payload): CodeOutcome => {
    try {
      return runCodeInQuickJS(module, payload as CodeRequest);
    } catch (err) {
      setTimeout(() => process.exit(1), 10);
      return { ok: false, kind: 'crashed', message: `The code engine failed (${(err as Error).message}); the code likely recursed too deep.`, logs: [] };
    }
  },
});
