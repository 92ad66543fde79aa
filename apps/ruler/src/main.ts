import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { rulerApp } from './ruler.app';

runVigilApp(rulerApp);
