/**
 * A full garbage collection on demand in a bench worker, without starting it with --expose-gc:
 * the flag set at run time exposes `gc` to contexts made after it. Used to tell live memory from
 * garbage V8 has not collected yet (the soak's live heap, the presence bench's settled figures).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function fullCollection(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
