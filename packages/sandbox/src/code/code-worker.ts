/**
 * Worker entry for the `code` node: loads the QuickJS WebAssembly module once per worker and runs each call in
 * a fresh runtime. If the engine itself breaks (the host stack or a WebAssembly trap), the module instance is
 * not trusted again: the worker exits after answering and the pool starts a clean one.
 */
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { retireAfterThisTask, serveTasks } from '../serve-tasks';
import { runCodeInQuickJS, type CodeOutcome, type CodeRequest } from './run-quickjs';

const module = await newQuickJSWASMModuleFromVariant(variant);
/** WASM memory a worker may keep beyond one call's limit (the engine itself, fragmentation) before it is replaced. */
const RETIRE_SLACK_BYTES = 16 * 1024 * 1024;

serveTasks({
  code: (payload): CodeOutcome => {
    const request = payload as CodeRequest;
    try {
      const outcome = runCodeInQuickJS(module, request);
      // WebAssembly memory grows but never shrinks: a call that went near its limit (a bomb) leaves this worker
      // holding that much; a fresh worker gives it back.
      if (module.getWasmMemory().buffer.byteLength > request.limits.memoryBytes + RETIRE_SLACK_BYTES) retireAfterThisTask();
      return outcome;
    } catch (err) {
      setTimeout(() => process.exit(1), 10);
      return { ok: false, kind: 'crashed', message: `The code engine failed (${(err as Error).message}); the code likely recursed too deep.`, logs: [] };
    }
  },
});
