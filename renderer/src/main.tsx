import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectGatewayApi } from './api/connect';
import { App } from './App';
import { createAppStore } from './store';
import './styles.css';

const store = createAppStore(connectGatewayApi());
void store.getState().init();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
