import {setFlagsFromString} from 'node:v8';

// Imported before Ink. V8 compiles WebAssembly function by function on first
// call by default, and the first calls into Ink's layout engine (yoga) come
// in the player's first frame: about 20 ms there. Compiled whole while it
// loads, it costs a few milliseconds. Lazy compilation is the default again
// once Ink has loaded.
setFlagsFromString('--no-wasm-lazy-compilation');

export function compileWasmLazilyAgain(): void {
  setFlagsFromString('--wasm-lazy-compilation');
}
