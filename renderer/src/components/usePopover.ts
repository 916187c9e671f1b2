import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A non-modal popover opened by a trigger button: Escape or a click outside closes it, and closing
 * from the keyboard (or after its work is done) puts focus back on the trigger, so a keyboard user
 * is never left on a vanished control.
 */
export function usePopover<Trigger extends HTMLElement, Panel extends HTMLElement>() {
  const [open, setOpen] = useState(false);
  const trigger = useRef<Trigger>(null);
  const panel = useRef<Panel>(null);

  const close = useCallback((returnFocus = true) => {
    setOpen(false);
    if (returnFocus) trigger.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      close();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && !panel.current?.contains(target) && !trigger.current?.contains(target)) close(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open, close]);

  return { open, setOpen, close, trigger, panel };
}
