import { useEffect, useState } from 'react';
import { parseRoute, type Route } from '../store/route.js';

/** The route in the URL hash, kept current on hashchange. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
