/** The page's live region. */
import { useEffect, useState } from 'preact/hooks';

let announceTo: (message: string) => void = () => undefined;

/** Says `message` in the page's live region (screen readers read it; it is visible too). */
export const announce = (message: string) => announceTo(message);

export function Announcer() {
  const [message, setMessage] = useState('');
  useEffect(() => {
    announceTo = (text) => {
      // Emptied first so the same words said twice are announced twice.
      setMessage('');
      window.setTimeout(() => setMessage(text), 50);
    };
  }, []);
  return (
    <div class={message ? 'announcer' : 'announcer empty'} role="status" aria-live="polite">
      {message}
    </div>
  );
}
