// The bench's short as a Remotion composition: the background clip, word-by-word captions from word timings, a
// watermark, the narration and a music bed; the same shape as ViralForge's render in `vf bench render`.
import React from 'react';
import {AbsoluteFill, Audio, Composition, OffthreadVideo, registerRoot, staticFile, useCurrentFrame, useVideoConfig} from 'remotion';

const FPS = 30;
const WORDS_PER_LINE = 3;

// Words in groups of three, shown while any of them is spoken, the spoken one in yellow: the bold-pop look.
const Captions = ({words}) => {
  const frame = useCurrentFrame();
  const {fps} = useVideoConfig();
  const t = frame / fps;
  const groups = [];
  for (let i = 0; i < words.length; i += WORDS_PER_LINE) groups.push(words.slice(i, i + WORDS_PER_LINE));
  const group = groups.find((g) => t >= g[0][1] && t < g[g.length - 1][2] + 0.15);
  if (!group) return null;
  return (
    <AbsoluteFill style={{justifyContent: 'flex-end', alignItems: 'center', paddingBottom: '24%', paddingLeft: '7%', paddingRight: '15%'}}>
      <div style={{fontFamily: 'DejaVu Sans', fontWeight: 'bold', fontSize: 84, textAlign: 'center', WebkitTextStroke: '6px black', paintOrder: 'stroke fill'}}>
        {group.map(([word, start, end], i) => (
          <span key={i} style={{color: t >= start && t < end ? '#FFE14D' : 'white'}}>{word}{i < group.length - 1 ? ' ' : ''}</span>
        ))}
      </div>
    </AbsoluteFill>
  );
};

const Short = ({words, musicVolume}) => (
  <AbsoluteFill style={{backgroundColor: 'black'}}>
    <OffthreadVideo src={staticFile('background.mp4')} muted style={{width: '100%', height: '100%', objectFit: 'cover'}} />
    <Captions words={words} />
    <AbsoluteFill style={{alignItems: 'flex-end', padding: '6% 5% 0 0'}}>
      <div style={{fontFamily: 'DejaVu Sans', fontWeight: 'bold', fontSize: 44, color: 'white', opacity: 0.8, WebkitTextStroke: '3px black', paintOrder: 'stroke fill'}}>@viralforge</div>
    </AbsoluteFill>
    <Audio src={staticFile('narration.wav')} />
    <Audio src={staticFile('music.wav')} volume={musicVolume} loop />
  </AbsoluteFill>
);

const Root = () => (
  <Composition
    id="Short"
    component={Short}
    fps={FPS}
    width={1080}
    height={1920}
    durationInFrames={30 * FPS}
    defaultProps={{words: [], seconds: 30, musicVolume: 0.25}}
    calculateMetadata={({props}) => ({durationInFrames: Math.round(props.seconds * FPS)})}
  />
);

registerRoot(Root);
