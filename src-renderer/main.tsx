import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<div>支付中心</div>);
