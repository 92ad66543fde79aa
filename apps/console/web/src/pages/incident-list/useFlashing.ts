// Rows that just changed, each marked for a moment so the eye finds them.
import { useEffect, useRef, useState } from 'react';

const FLASH_MS = 2500;

export function useFlashing(): { flashing: ReadonlySet<string>; flash: (id: string) => void } {
  const [flashing, setFlashing] = useState<ReadonlySet<string>>(new Set());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const flash = (id: string) => {
    clearTimeout(timers.current.get(id));
    setFlashing((prev) => new Set(prev).add(id));
    timers.current.set(
      id,
      setTimeout(() => {
        timers.current.delete(id);
        setFlashing((prev) => {
          const next = new Set(prev);
          next.delete(id);
          return next;
        });
      }, FLASH_MS),
    );
  };

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((t) => clearTimeout(t));
  }, []);
  return { flashing, flash };
}
